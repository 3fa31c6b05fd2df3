/**
 * The calendar feeds' own words (models/feeds.ts). Feeds are written in zh-CN, the station's
 * language: a subscribed calendar sends no Accept-Language; en is here so the catalog is whole.
 * Where a feed names a page (活动日历, 我的预约) it takes the page's key instead.
 *
 * Calendars synced to a phone's cloud are not private: a consultation is only "咨询预约", never
 * a service, topic or another person's name.
 */
export const feedsZh = {
  "feed.name": "{station} · {name}",
  "feed.cancelled": "已取消 {summary}",
  "feed.hours.summary": "{service}（可预约）",
  "feed.hours.description": "一对一咨询，需提前预约：在“咨询预约”里选时段，或到驿站服务台预约。",
  "feed.hours.category": "咨询",
  "feed.consultation": "咨询预约",
};

export const feedsEn: Record<keyof typeof feedsZh, string> = {
  "feed.name": "{station} · {name}",
  "feed.cancelled": "Cancelled: {summary}",
  "feed.hours.summary": "{service} (by appointment)",
  "feed.hours.description": "One-to-one consultation by appointment: choose a time under “Consultations”, or book at the station's front desk.",
  "feed.hours.category": "Consultations",
  "feed.consultation": "Consultation",
};
