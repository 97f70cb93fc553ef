import { statement } from '@/lib/db/statement'
import { ARRANGEMENT_COLUMNS, type ArrangementRow } from '@/lib/db/statements/arrangement-row'
import { NEWEST_FIRST } from '@/lib/db/statements/newest-arrangement'

export type CatalogueParameters = { tenantId: string; arrangementType: string; inForce: string }

/** The catalogue's arrangement: the newest in force of the type (no row: none in force). */
export const ARRANGEMENT_IN_FORCE = `
    SELECT ${ARRANGEMENT_COLUMNS} FROM de_ar
    WHERE tnt_inst_id = :tenantId AND ar_type = :arrangementType AND ar_status = :inForce
    ORDER BY ${NEWEST_FIRST}
    LIMIT 1`

export const catalogueArrangement = statement<CatalogueParameters, ArrangementRow>('catalogue-arrangement', ARRANGEMENT_IN_FORCE)
