/**
 * Secret helpers for routes (keys, link tokens, hashes): re-exported from `@aifp/db`, where the
 * scripts share them, so route handlers never import the database package.
 */
export { API_KEY_PREFIX, LINK_TOKEN_PREFIX, generateSecret, mintApiKey, sha256Hex } from "@aifp/db";
