/**
 * Catalog entries of the shared form layer (app/components/form.tsx, app/lib/intent.server.ts).
 * zh-CN.ts and en.ts spread them in.
 */
export const formsZh = {
  "form.pending": "正在提交…",
  "error.unknownIntent": "无法识别这个操作。请刷新页面后再试一次。",
} as const;

export const formsEn: Record<keyof typeof formsZh, string> = {
  "form.pending": "Sending…",
  "error.unknownIntent": "This action was not recognised. Please reload the page and try again.",
};
