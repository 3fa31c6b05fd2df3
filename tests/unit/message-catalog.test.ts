import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../models/errors";
import { en } from "../../models/i18n/en";
import { zhCN } from "../../models/i18n/zh-CN";
import { consultationOfferTexts, consultationTexts, mailTexts, SHARED_WITH_PAGES } from "../../models/notifications/catalog";
import { layout } from "../../models/notifications/layout";
import { errorMessageKey, LOCALES, translator, type MessageKey } from "../../app/i18n";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the one message catalog (ADR 31)", () => {
  it("has every key in zh-CN and in en, with the same placeholders", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const key of Object.keys(zhCN) as MessageKey[]) {
      expect(zhCN[key].trim(), key).not.toBe("");
      expect(en[key].trim(), key).not.toBe("");
      expect(placeholders(en[key]), key).toEqual(placeholders(zhCN[key]));
    }
  });

  it("has a message for every domain error code in both languages", () => {
    for (const locale of LOCALES) {
      const t = translator(locale);
      for (const code of ERROR_CODES) {
        const key = errorMessageKey(code);
        expect(key in zhCN, code).toBe(true);
        expect(t(key), `${locale} ${code}`).not.toBe(key);
      }
    }
  });

  it("gives mails and pages the same words for a shared key", () => {
    for (const locale of LOCALES) {
      // The pages' translator (app/i18n) against what the mail worker renders.
      const page = translator(locale);
      const mail = mailTexts(locale);
      expect(mail.when).toBe(page(SHARED_WITH_PAGES.when));
      expect(mail.where).toBe(page(SHARED_WITH_PAGES.where));
      expect(mail.checkinAlt).toBe(page(SHARED_WITH_PAGES.checkinAlt));
      expect(consultationTexts(locale).with).toBe(page(SHARED_WITH_PAGES.consultationWith));
      expect(consultationTexts(locale).mine).toBe(page(SHARED_WITH_PAGES.consultationsMine));
      expect(consultationTexts(locale).provided).toBe(page(SHARED_WITH_PAGES.consultationsProvided));
      expect(consultationOfferTexts(locale).subject).toBe(page(SHARED_WITH_PAGES.offerSubject));
      // And the mail's own entries come out of the same catalog, placeholders filled.
      expect(mail.subject.signup_confirmed).toBe(page("mail.subject.signup_confirmed"));
      expect(mail.leadFor.reminder("王德福")).toBe(page("mail.leadFor.reminder", { who: "王德福" }));

      const { text, html } = layout({
        recipient: { personId: 1, address: "li@example.test", name: "李秀英", forName: null, via: "own", locale },
        lead: mail.lead.reminder,
        facts: [[mail.when, "07:30"]],
        unsubscribeUrl: "https://example.test/u",
        stationName: "驿站",
      });
      expect(text).toContain(`${page("session.when")}: 07:30`);
      expect(text).toContain(page("mail.greeting", { name: "李秀英" }));
      expect(html).toContain(page("mail.footer", { station: "驿站" }));
    }
  });

  it("renders the mails' words exactly as before the catalogs were joined", () => {
    expect(mailTexts("zh-CN").leadFor.signup_confirmed("王德福（您的联系户）")).toBe("为王德福（您的联系户）报名成功，名额已为其保留。");
    expect(mailTexts("en").waitlistPositionFor("Wang", 3)).toBe("Wang is number 3 on the waiting list.");
    expect(mailTexts("zh-CN").when).toBe("时间");
    expect(consultationOfferTexts("en").subject).toBe("Consultation slot free");
  });
});
