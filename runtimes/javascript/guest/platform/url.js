// URL and URLSearchParams from core-js-pure (MIT): the WHATWG URL parser, including
// IDNA (punycode) hosts, without touching any other global.
import URL from "core-js-pure/stable/url/index.js";
import URLSearchParams from "core-js-pure/stable/url-search-params/index.js";

export { URL, URLSearchParams };
