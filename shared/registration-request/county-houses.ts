/**
 * The health insurance houses a provider registers its certificate with: the 41 county houses
 * (Casa de Asigurări de Sănătate <Județ>), the Bucharest house and CASAOPSNAJ (the house of the
 * defence, public order, national security and judicial authority system). `code` is the county's
 * vehicle-plate code (B for Bucharest), the short form SIUI user names end with (`<CUI>_CAS-<code>`).
 */
import { normaliseLabel } from '../form-vocabulary/normalise-label.js';

export interface CountyHouse {
  code: string;
  /** The county (or city) alone, as a "Județ" field wants it; empty for CASAOPSNAJ, which has none. */
  county: string;
  /** The house's full name, as an addressee. */
  name: string;
}

const COUNTIES: [string, string][] = [
  ['AB', 'Alba'],
  ['AR', 'Arad'],
  ['AG', 'Argeș'],
  ['BC', 'Bacău'],
  ['BH', 'Bihor'],
  ['BN', 'Bistrița-Năsăud'],
  ['BT', 'Botoșani'],
  ['BR', 'Brăila'],
  ['BV', 'Brașov'],
  ['BZ', 'Buzău'],
  ['CL', 'Călărași'],
  ['CS', 'Caraș-Severin'],
  ['CJ', 'Cluj'],
  ['CT', 'Constanța'],
  ['CV', 'Covasna'],
  ['DB', 'Dâmbovița'],
  ['DJ', 'Dolj'],
  ['GL', 'Galați'],
  ['GR', 'Giurgiu'],
  ['GJ', 'Gorj'],
  ['HR', 'Harghita'],
  ['HD', 'Hunedoara'],
  ['IL', 'Ialomița'],
  ['IS', 'Iași'],
  ['IF', 'Ilfov'],
  ['MM', 'Maramureș'],
  ['MH', 'Mehedinți'],
  ['MS', 'Mureș'],
  ['NT', 'Neamț'],
  ['OT', 'Olt'],
  ['PH', 'Prahova'],
  ['SJ', 'Sălaj'],
  ['SM', 'Satu Mare'],
  ['SB', 'Sibiu'],
  ['SV', 'Suceava'],
  ['TR', 'Teleorman'],
  ['TM', 'Timiș'],
  ['TL', 'Tulcea'],
  ['VL', 'Vâlcea'],
  ['VS', 'Vaslui'],
  ['VN', 'Vrancea'],
];

export const CASAOPSNAJ_NAME = 'Casa Asigurărilor de Sănătate a Apărării, Ordinii Publice, Siguranței Naționale și Autorității Judecătorești';

/** The 43 houses: the counties in alphabetical order, then Bucharest, then CASAOPSNAJ. */
export const COUNTY_HOUSES: readonly CountyHouse[] = [
  ...COUNTIES.map(([code, county]) => ({ code, county, name: `Casa de Asigurări de Sănătate ${county}` })),
  { code: 'B', county: 'București', name: 'Casa de Asigurări de Sănătate a Municipiului București' },
  { code: 'CASAOPSNAJ', county: '', name: CASAOPSNAJ_NAME },
];

/**
 * The house a saved profile names: by code ("IS"), by county ("Iași", "Iasi", "judetul Iasi"), by
 * full or short name ("CAS Iași", "CJAS Iași", "CASMB", "CASAOPSNAJ"). Undefined for anything else.
 */
export function countyHouse(value: string): CountyHouse | undefined {
  const trimmed = value.trim();
  const byCode = COUNTY_HOUSES.find((house) => house.code === trimmed.toUpperCase());
  if (byCode) return byCode;
  const wanted = normaliseLabel(trimmed)
    .replace(/^(casa (judeteana )?de asigurari de sanatate|cjas|cas|judetul|jud|municipiul)( a)?\s+/, '')
    .replace(/^municipiului\s+/, '');
  if (wanted === 'casmb' || wanted === 'bucuresti') return COUNTY_HOUSES.find((house) => house.code === 'B');
  if (wanted === 'casaopsnaj' || wanted === normaliseLabel(CASAOPSNAJ_NAME)) return COUNTY_HOUSES.find((house) => house.code === 'CASAOPSNAJ');
  return COUNTY_HOUSES.find((house) => house.county !== '' && (normaliseLabel(house.county) === wanted || normaliseLabel(house.name) === normaliseLabel(trimmed)));
}

/** The addressee for a profile's county: the house's full name; an unknown free text as it was typed, after "Casa de Asigurări de Sănătate". */
export function countyHouseName(value: string): string {
  return countyHouse(value)?.name ?? `Casa de Asigurări de Sănătate ${value.trim()}`;
}
