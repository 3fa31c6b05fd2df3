export * from "./types";
export * from "./errors";
export * from "./skills";
export * from "./needs";
export * from "./assignments";
export { getSessionRoster, listMyShifts, openShiftsFor } from "./views";
export * from "./hours";
export * from "./availability";
export { pickerCandidates, type PickerCandidate, type PickerClash } from "./picker";
