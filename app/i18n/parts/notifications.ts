/**
 * Catalog entries of the notifications pages, kept apart so that work on one feature does not
 * touch the others' lines. zh-CN.ts and en.ts spread them in.
 */
export const notificationsZh = {} as const;

export const notificationsEn: Record<keyof typeof notificationsZh, string> = {};
