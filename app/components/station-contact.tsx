import { useRootData, useT } from "~/lib/view";

/**
 * The station's phone (to tap) and address, under every "不方便上网？" hint: someone who cannot
 * use the site needs the number, not just the advice to call. Nothing when the admin has not set them.
 */
export function StationContact() {
  const t = useT();
  const { station } = useRootData();
  if (!station?.phone && !station?.address) return null;
  return (
    <p className="help station-contact">
      {station.phone ? (
        <>
          {t("station.contactPhone")}
          <a href={`tel:${station.phone.replace(/[^0-9+]/g, "")}`}>{station.phone}</a>
        </>
      ) : null}
      {station.phone && station.address ? " · " : null}
      {station.address ? `${t("station.contactAddress")}${station.address}` : null}
    </p>
  );
}
