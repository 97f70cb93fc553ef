/** What an open or close statement reports: whether it found the arrangement and the product, and whether it changed the agreement. */
export type AgreementOutcome = { arrangementFound: boolean; productFound: boolean; changed: boolean }
