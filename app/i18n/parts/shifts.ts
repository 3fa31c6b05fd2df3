/**
 * Catalog entries of the shifts pages, kept apart so that work on one feature does not
 * touch the others' lines. zh-CN.ts and en.ts spread them in.
 */
export const shiftsZh = {} as const;

export const shiftsEn: Record<keyof typeof shiftsZh, string> = {};
