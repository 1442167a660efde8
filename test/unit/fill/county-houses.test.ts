/** The county houses a provider profile chooses from: all 43, each with its full name and code, found again from what a user or an old profile wrote. */
import { describe, expect, it } from 'vitest';
import { CASAOPSNAJ_NAME, COUNTY_HOUSES, countyHouse, countyHouseName } from '../../../shared/registration-request/county-houses.js';

describe('county houses', () => {
  it('lists the 41 county houses, Bucharest and CASAOPSNAJ, each once, with full names', () => {
    expect(COUNTY_HOUSES).toHaveLength(43);
    expect(new Set(COUNTY_HOUSES.map((h) => h.code)).size).toBe(43);
    expect(new Set(COUNTY_HOUSES.map((h) => h.name)).size).toBe(43);
    const counties = COUNTY_HOUSES.filter((h) => /^[A-Z]{2}$/.test(h.code));
    expect(counties).toHaveLength(41);
    for (const house of counties) expect(house.name).toBe(`Casa de Asigurări de Sănătate ${house.county}`);
    expect(countyHouse('B')?.name).toBe('Casa de Asigurări de Sănătate a Municipiului București');
    expect(countyHouse('CASAOPSNAJ')?.name).toBe(CASAOPSNAJ_NAME);
    expect(CASAOPSNAJ_NAME).toBe('Casa Asigurărilor de Sănătate a Apărării, Ordinii Publice, Siguranței Naționale și Autorității Judecătorești');
    expect(COUNTY_HOUSES.map((h) => h.county)).toEqual(expect.arrayContaining(['Bistrița-Năsăud', 'Caraș-Severin', 'Satu Mare', 'Vâlcea', 'Dâmbovița']));
  });

  it.each([
    ['IS', 'IS'],
    ['Iași', 'IS'],
    ['iasi', 'IS'],
    ['CAS Iași', 'IS'],
    ['CJAS Iasi', 'IS'],
    ['Casa de Asigurări de Sănătate Iași', 'IS'],
    ['Județul Iași', 'IS'],
    ['bistrita nasaud', 'BN'],
    ['București', 'B'],
    ['CASMB', 'B'],
    ['Casa de Asigurări de Sănătate a Municipiului București', 'B'],
    ['casaopsnaj', 'CASAOPSNAJ'],
  ])('"%s" is the house %s', (typed, code) => {
    expect(countyHouse(typed)?.code).toBe(code);
  });

  it('an unknown text stays as typed after the house words; nothing is invented', () => {
    expect(countyHouse('Atlantida')).toBeUndefined();
    expect(countyHouseName('Atlantida')).toBe('Casa de Asigurări de Sănătate Atlantida');
    expect(countyHouseName('VN')).toBe('Casa de Asigurări de Sănătate Vrancea');
  });
});
