/** The prefecture's regions (SPEC: 州 > 4 counties; 州本级 holds the prefecture's own departments). */
export const REGION_OPTIONS = [
  { value: 'zhou', label: '海北州本级' },
  { value: 'menyuan', label: '门源回族自治县' },
  { value: 'qilian', label: '祁连县' },
  { value: 'haiyan', label: '海晏县' },
  { value: 'gangcha', label: '刚察县' },
];
