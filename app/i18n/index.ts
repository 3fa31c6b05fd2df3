/**
 * The message catalog lives in models/i18n (ADR 31): one catalog for pages and mails, framework-free
 * so that models/ (the mail worker) may use it. The app imports it from here as `~/i18n`.
 */
export * from "#models/i18n";
