import { REGIONS } from '@mashang/shared';

/** The prefecture's regions (SPEC: 州 > 4 counties; 州本级 holds the prefecture's own departments). */
export const REGION_OPTIONS = REGIONS.map((r) => ({ value: r.id, label: r.name }));
