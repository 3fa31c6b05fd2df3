/**
 * Catalog entries of the rosters pages, kept apart so that work on one feature does not
 * touch the others' lines. zh-CN.ts and en.ts spread them in.
 */
export const rostersZh = {} as const;

export const rostersEn: Record<keyof typeof rostersZh, string> = {};
