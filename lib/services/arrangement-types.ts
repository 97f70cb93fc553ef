/** The seeds' deduction arrangement type; another kind of service is another row in de_ar, not another constant. */
export const DEDUCTION = 'Deduction'
