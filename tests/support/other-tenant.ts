// Rows that exist only in a second tenant of the same database: a product, an
// arrangement type and a user with a login. Tests of tenant isolation use them to
// show that tenant FC000001 never sees, opens or logs in to anything of FC000002.
export const OTHER_TENANT = {
  tenantId: 'FC000002',
  productCode: 'T2000001',
  arrangementType: 'T2Only',
  userId: 'T2USER0000000001',
  email: 't2only@example.com',
} as const

/**
 * The SQL that adds those rows; the user's password hash is copied from the
 * credential `passwordFrom` (an e2e account) so that it logs in with the same password.
 */
export function otherTenantRowsSql(passwordFrom: { tenantId: string; email: string }): string {
  const t = OTHER_TENANT
  return `
    INSERT INTO de_prod (tnt_inst_id, pd_code, pd_name, pd_desc, pd_org_name, gmt_create, gmt_modified)
      VALUES ('${t.tenantId}', '${t.productCode}', 'other tenant product', 'only in ${t.tenantId}', 'other org', now(), now());
    INSERT INTO de_ar (tnt_inst_id, ar_number, ar_name, ar_version, ar_type, ar_status, gmt_create, gmt_modified)
      VALUES ('${t.tenantId}', 'T2AR0001', 'other tenant arrangement', '1', '${t.arrangementType}', '2', now(), now());
    INSERT INTO de_user (tnt_inst_id, user_id, user_name, user_type, user_status, gmt_create, gmt_modified)
      VALUES ('${t.tenantId}', '${t.userId}', 'other tenant user', 'PERSONAL', '1', now(), now());
    INSERT INTO de_user_credential (tnt_inst_id, login_key, user_id, password_hash, gmt_create, gmt_modified)
      SELECT '${t.tenantId}', '${t.email}', '${t.userId}', password_hash, now(), now()
      FROM de_user_credential WHERE tnt_inst_id = '${passwordFrom.tenantId}' AND login_key = '${passwordFrom.email}';`
}
