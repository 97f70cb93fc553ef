/** The address of a service's detail page. Its own module, so client components can import it without the card's server-side translations. */
export const serviceHref = (code: string) => `/services/${encodeURIComponent(code)}`
