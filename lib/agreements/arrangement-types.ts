/** The deduction arrangement's type (de_ar.ar_type); another kind of agreement is another row in de_ar, not another constant. */
export const DEDUCTION = 'Deduction'
