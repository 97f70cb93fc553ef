// The columns of one arrangement as the statements that describe one return them.

export const ARRANGEMENT_COLUMNS = `
    ar_number AS "number", ar_name AS "name", ar_version AS "version", ar_type AS "type",
    ar_status AS "status", properties`

export type ArrangementRow = { number: string; name: string; version: string; type: string; status: string; properties: string | null }

export type ProductRow = { code: string; name: string; orgName: string; description: string }
