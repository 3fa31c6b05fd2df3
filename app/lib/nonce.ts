import { createContext, useContext } from "react";

/**
 * This response's Content-Security-Policy nonce (server/security-headers.ts makes one per
 * request). Rendered into Remix's inline scripts on the server; in the browser there is none
 * to give, and none is needed after the page has loaded.
 */
export const NonceContext = createContext<string | undefined>(undefined);

export const useNonce = () => useContext(NonceContext);
