/**
 * The demo community as plain data, before any database is involved: a pure function of
 * the seed, so the same seed always yields the same people, phones, needs and households.
 */
import { Random } from "./random";
import { DOCTORS, FEATURED, NEEDS, PHONE_PREFIXES, SERVICE_GROUPS, STREETS, SURNAMES, givenNames, type GroupKey, type Sex } from "./names";

export const DEMO_SEED = 20_260_308;
/** Ages are counted from a fixed year, not from the clock, so reruns do not drift. */
export const REFERENCE_YEAR = 2026;

const HOUSEHOLDS = 400;
const MEMBERS = 350;
const CARETAKERS = 40;

export interface PlannedPerson {
  fullName: string;
  birthYear: number;
  phone: string | null;
  needs: string | null;
}

export interface PlannedHousehold {
  label: string;
  /** Index into `members` of the member who looks after this household. */
  caretaker: number;
  residents: PlannedPerson[];
}

export interface PlannedMember extends PlannedPerson {
  group: GroupKey;
}

export interface CommunityPlan {
  /** The first household is 王大爷's; its caretaker is members[0]. */
  households: PlannedHousehold[];
  /** members[0] is the demo member (林秀珍). */
  members: PlannedMember[];
  doctors: PlannedPerson[];
  admin: PlannedPerson;
  coordinator: PlannedPerson;
}

type Composition = "elder-alone" | "elder-couple" | "young-family" | "three-generations" | "working-age";

// Averages about 2.5 people a household, and puts 60–85-year-olds in over a third of homes.
const COMPOSITIONS: readonly (readonly [Composition, number])[] = [
  ["elder-alone", 20],
  ["elder-couple", 30],
  ["young-family", 15],
  ["three-generations", 20],
  ["working-age", 15],
];

class Builder {
  private readonly phones = new Set<string>();

  constructor(private readonly rng: Random) {}

  phone(): string {
    for (;;) {
      const number = this.rng.pick(PHONE_PREFIXES) + String(this.rng.int(0, 99_999_999)).padStart(8, "0");
      if (!this.phones.has(number)) {
        this.phones.add(number);
        return number;
      }
    }
  }

  surname(): string {
    return this.rng.weighted(SURNAMES);
  }

  person(surname: string, sex: Sex, birthYear: number): PlannedPerson {
    const age = REFERENCE_YEAR - birthYear;
    // Children have no phone of their own; some of the oldest rely on family or a landline.
    const hasPhone = age >= 16 && !(age >= 80 && this.rng.chance(0.15));
    const needChance = age >= 75 ? 0.25 : age >= 60 ? 0.1 : 0.012;
    return {
      fullName: surname + this.rng.pick(givenNames(birthYear, sex)),
      birthYear,
      phone: hasPhone ? this.phone() : null,
      needs: this.rng.chance(needChance) ? this.rng.weighted(NEEDS) : null,
    };
  }

  /** A married couple: she keeps her own surname, as is usual in China. */
  couple(surname: string, husbandYear: number): PlannedPerson[] {
    const wifeYear = husbandYear + this.rng.int(0, 4);
    return [this.person(surname, "m", husbandYear), this.person(this.surname(), "f", wifeYear)];
  }

  children(surname: string, motherYear: number, howMany: number): PlannedPerson[] {
    const out: PlannedPerson[] = [];
    for (let i = 0; i < howMany; i++) {
      // Young enough for the parent-child events (under 15), born when the mother was 22 or more.
      const year = this.rng.int(Math.max(motherYear + 22, REFERENCE_YEAR - 14), REFERENCE_YEAR - 1);
      out.push(this.person(surname, this.rng.chance(0.5) ? "m" : "f", year));
    }
    return out;
  }

  household(): PlannedPerson[] {
    const rng = this.rng;
    const surname = this.surname();
    switch (rng.weighted(COMPOSITIONS)) {
      case "elder-alone":
        return [this.person(surname, rng.chance(0.35) ? "m" : "f", REFERENCE_YEAR - rng.int(65, 90))];
      case "elder-couple":
        return this.couple(surname, REFERENCE_YEAR - rng.int(62, 88));
      case "young-family": {
        const parents = this.couple(surname, REFERENCE_YEAR - rng.int(30, 45));
        return [...parents, ...this.children(surname, parents[1]!.birthYear, rng.chance(0.75) ? 1 : 2)];
      }
      case "three-generations": {
        const fatherYear = REFERENCE_YEAR - rng.int(30, 45);
        const grandYear = Math.max(REFERENCE_YEAR - 90, fatherYear - rng.int(24, 32));
        // A widowed grandmother kept her own surname, like every wife here.
        const grandparents = rng.chance(0.5)
          ? this.couple(surname, grandYear)
          : rng.chance(0.3)
            ? [this.person(surname, "m", grandYear)]
            : [this.person(this.surname(), "f", grandYear)];
        const parents = this.couple(surname, fatherYear);
        const kids = this.children(surname, parents[1]!.birthYear, rng.chance(0.6) ? 1 : 2);
        return [...grandparents, ...parents, ...kids];
      }
      case "working-age":
        return rng.chance(0.4)
          ? [this.person(surname, rng.chance(0.5) ? "m" : "f", REFERENCE_YEAR - rng.int(24, 59))]
          : this.couple(surname, REFERENCE_YEAR - rng.int(26, 59));
    }
  }

  member(group: GroupKey): PlannedMember {
    const rng = this.rng;
    // Most members are recently retired neighbours; some are working professionals.
    const [from, to] = rng.weighted<[number, number]>([
      [[1952, 1966], 60],
      [[1967, 1985], 30],
      [[1986, 2000], 10],
    ]);
    const year = rng.int(from, to);
    const person = this.person(this.surname(), rng.chance(0.65) ? "f" : "m", year);
    return { ...person, phone: person.phone ?? this.phone(), needs: null, group };
  }

  featured(who: { fullName: string; birthYear: number }): PlannedPerson {
    return { fullName: who.fullName, birthYear: who.birthYear, phone: this.phone(), needs: null };
  }
}

interface Building {
  address: (unit: number, room: string) => string;
  units: number;
  floors: number;
}

/** Buildings of old walk-up blocks; each member looks after the households of one block. */
function planBuildings(rng: Random, count: number): Building[] {
  const used = new Set<string>(["富文路 12"]);
  // The first block is where 王大爷 lives: "富文路 12 号 3 单元 201".
  const buildings: Building[] = [{ address: (unit, room) => `富文路 12 号 ${unit} 单元 ${room}`, units: 3, floors: 7 }];
  while (buildings.length < count) {
    const street = rng.pick(STREETS);
    const number = street.style === "street" ? rng.int(1, 88) : rng.int(1, 30);
    const key = `${street.name} ${number}`;
    if (used.has(key)) continue;
    used.add(key);
    const marker = street.style === "street" ? "号" : "幢";
    buildings.push({
      address: (unit, room) => `${street.name} ${number} ${marker} ${unit} 单元 ${room}`,
      units: rng.int(2, 3),
      floors: rng.int(6, 7),
    });
  }
  return buildings;
}

function roomsOf(building: Building): { unit: number; room: string }[] {
  const rooms: { unit: number; room: string }[] = [];
  for (let unit = 1; unit <= building.units; unit++) {
    for (let floor = 1; floor <= building.floors; floor++) {
      for (const flat of [1, 2]) rooms.push({ unit, room: `${floor}0${flat}` });
    }
  }
  return rooms;
}

export function planCommunity(seed = DEMO_SEED): CommunityPlan {
  const rng = new Random(seed);
  const build = new Builder(rng);

  // One block per caretaker, 8–12 households each ("about 10"): start at 10 and move
  // households between blocks, so the total stays exact and no block is left a stub.
  const sizes = Array.from({ length: CARETAKERS }, () => HOUSEHOLDS / CARETAKERS);
  for (let move = 0; move < CARETAKERS * 2; move++) {
    const [from, to] = [rng.int(0, CARETAKERS - 1), rng.int(0, CARETAKERS - 1)];
    if (from !== to && sizes[from]! > 8 && sizes[to]! < 12) {
      sizes[from]!--;
      sizes[to]!++;
    }
  }
  const buildings = planBuildings(rng, sizes.length);

  const households: PlannedHousehold[] = [];
  buildings.forEach((building, index) => {
    const featured = index === 0 ? "3 单元 201" : null;
    const rooms = rng
      .shuffle(roomsOf(building).filter((r) => `${r.unit} 单元 ${r.room}` !== featured))
      .slice(0, (sizes[index] ?? 0) - (featured ? 1 : 0))
      .sort((a, b) => a.unit - b.unit || a.room.localeCompare(b.room));
    if (featured) {
      // 王大爷 lives alone, as in the article.
      households.push({ label: building.address(3, "201"), caretaker: 0, residents: [build.featured(FEATURED.resident)] });
    }
    for (const { unit, room } of rooms) {
      households.push({ label: building.address(unit, room), caretaker: index, residents: build.household() });
    }
  });

  // Group places: the demo member is in 关爱帮扶组; the rest are dealt out at random.
  const places = SERVICE_GROUPS.flatMap((g) => Array.from({ length: g.size }, () => g.key as GroupKey));
  places.splice(places.indexOf("care"), 1);
  const members: PlannedMember[] = [{ ...build.featured(FEATURED.member), group: "care" }];
  for (const group of rng.shuffle(places)) members.push(build.member(group));
  if (members.length !== MEMBERS) throw new Error(`planned ${members.length} members, expected ${MEMBERS}`);

  return {
    households,
    members,
    doctors: DOCTORS.map((d) => build.featured(d)),
    admin: build.featured(FEATURED.admin),
    coordinator: build.featured(FEATURED.coordinator),
  };
}
