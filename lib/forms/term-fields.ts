/** Form fields named `term.<key>` carry the values of an arrangement's terms (app/actions/agreement-actions.ts). */
export const TERM_FIELD_PREFIX = 'term.'

/** The id of a product's open form, for term inputs placed elsewhere on the page (their `form` attribute). */
export const openFormId = (productCode: string) => `open-form-${productCode}`
