/** Form fields named `term.<key>` carry the values of an arrangement's terms (app/actions/deduction-actions.ts). */
export const TERM_FIELD_PREFIX = 'term.'
