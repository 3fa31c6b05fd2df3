import { useT } from "~/lib/view";
import { ConfirmAction } from "./confirm-action";

/**
 * A provider's or staff's cancel of one appointment, asked first: the person is named, and told
 * the time goes to someone else. Both day pages (我的咨询 and staff's day) use it.
 */
export function CancelAppointment({ appointment }: { appointment: { id: number; name: string; time: string } }) {
  const t = useT();
  return (
    <ConfirmAction
      label={t("consult.cancel")}
      ariaLabel={t("consult.cancelNamed", { name: appointment.name, when: appointment.time })}
      consequence={t("consult.providerCancelConsequence", { name: appointment.name })}
      confirmLabel={t("consult.cancelGo")}
      fields={{ intent: "cancel", consultationId: appointment.id }}
    />
  );
}
