/**
 * Catalog entries of the roster model (its error messages), kept apart so that work on one feature does not
 * touch the others' lines. zh-CN.ts and en.ts spread them in.
 */
export const rosterCoreZh = {} as const;

export const rosterCoreEn: Record<keyof typeof rosterCoreZh, string> = {};
