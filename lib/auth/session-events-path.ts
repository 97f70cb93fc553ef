/**
 * Where an open page listens for the end of its session (Server-Sent Events), in a
 * module of its own so that the browser's bundle can name it without the server's code.
 */
export const SESSION_EVENTS_PATH = '/api/session/events'
