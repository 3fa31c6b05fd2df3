import type { Actor } from "../permissions";

/** Every roster call is scoped to one station and authorised through the acting account. */
export interface RosterContext {
  stationId: number;
  actor: Actor;
  now?: Date;
}

export type AssignmentStatus = "proposed" | "confirmed" | "declined" | "cancelled";
export type Attendance = "attended" | "no_show" | "no_show_excused";
export type RespondAction = "confirm" | "decline" | "cancel" | Attendance;

/** Statuses that hold a place and block the person's time. */
export const ACTIVE_STATUSES = ["proposed", "confirmed"] as const;

export interface SkillRef {
  id: number;
  slug: string;
  nameZh: string;
  nameEn: string;
}

export interface ShiftAssignment {
  id: number;
  personId: number;
  name: string;
  status: AssignmentStatus;
  attendance: Attendance | null;
}

export interface Shift {
  needId: number;
  sessionId: number;
  skill: SkillRef;
  headCount: number;
  startsAt: Date;
  endsAt: Date;
  /** Active places: proposed + confirmed. */
  filled: number;
  assignments: ShiftAssignment[];
  /** True when the need is declared on the series (activity), not on this one session. */
  inherited: boolean;
}

export interface Skill extends SkillRef {
  restricted: boolean;
  sortOrder: number;
}

export interface PersonSkill {
  personId: number;
  skill: Skill;
  specialty: string;
  confirmedAt: Date | null;
  /** Counts for rostering: unrestricted, or restricted and confirmed. */
  qualified: boolean;
}

export interface RosterNeed {
  id: number;
  activityId: number | null;
  sessionId: number | null;
  skill: SkillRef;
  headCount: number;
  startOffsetMinutes: number;
  endOffsetMinutes: number;
}

export interface RosterSessionInfo {
  id: number;
  activityId: number;
  title: string;
  startsAt: Date;
  endsAt: Date;
  location: string;
  status: "scheduled" | "cancelled";
}

/** A non-blocking remark on an assignment staff made (outside availability, blackout day). */
export type AssignWarning = "blackout" | "outside_availability";

export interface AssignResult {
  id: number;
  status: "proposed" | "confirmed";
  warnings: AssignWarning[];
}

/** One need of one session as a person's lists show it: what, where and when the shift is. */
interface ListedShift {
  needId: number;
  sessionId: number;
  title: string;
  location: string;
  skill: SkillRef;
  startsAt: Date;
  endsAt: Date;
}

export interface MyShift extends ListedShift {
  assignmentId: number;
  status: AssignmentStatus;
  attendance: Attendance | null;
  sessionStatus: "scheduled" | "cancelled";
}

export interface OpenShift extends ListedShift {
  headCount: number;
  filled: number;
}

export interface MonthHours {
  /** 1 … 12 */
  month: number;
  attendedMinutes: number;
  manualMinutes: number;
}

export interface HoursExportPersonRow {
  personId: number;
  name: string;
  attendedMinutes: number;
  manualMinutes: number;
  shifts: number;
}

export interface HoursExportGroupRow {
  groupId: number;
  nameZh: string;
  nameEn: string;
  people: number;
  attendedMinutes: number;
  manualMinutes: number;
}
