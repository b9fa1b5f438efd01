// A static single-page app: rendered in the browser, served by the Worker as assets.
export const ssr = false;
export const prerender = false;
