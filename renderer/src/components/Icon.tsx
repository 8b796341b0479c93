// Line icons drawn inline as SVG (no icon font, no remote assets). 24×24 grid, 1.75 stroke.

const circle = (cx: number, cy: number, r: number) =>
  `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;

const PATHS = {
  overview: 'M4 4h6v7H4z M14 4h6v4h-6z M14 12h6v8h-6z M4 15h6v5H4z',
  holdings: 'M12 3a9 9 0 1 0 9 9h-9z M15 3.5a9 9 0 0 1 5.5 5.5H15z',
  transactions: 'M4 8h15 M15 4l4 4-4 4 M20 16H5 M9 12l-4 4 4 4',
  performance: 'M3 17l6-6 4 4 8-8 M15 7h6v6',
  risk: 'M12 3.5l9.5 16.5h-19z M12 10v4.5 M12 17.2v.1',
  macro: `${circle(12, 12, 9)} M3 12h18 M12 3c2.5 2.6 3.8 5.6 3.8 9s-1.3 6.4-3.8 9 M12 3c-2.5 2.6-3.8 5.6-3.8 9s1.3 6.4 3.8 9`,
  news: 'M4 5h13v14H6a2 2 0 0 1-2-2z M17 9h3v8a2 2 0 0 1-2 2h-1 M8 9h5 M8 13h5 M8 16h3',
  reports: 'M6 3h9l4 4v14H6z M15 3v4h4 M9 12h7 M9 16h7',
  audit: 'M9 3.5h6v3H9z M7 5H5v16h14V5h-2 M8.5 14l2.5 2.5 4.5-5',
  settings: `M4 6h9 M17 6h3 M4 12h3 M11 12h9 M4 18h11 M19 18h1 ${circle(15, 6, 2)} ${circle(9, 12, 2)} ${circle(17, 18, 2)}`,
  status: 'M3 12h4l3-7 4 14 3-7h4',
  check: 'M5 12.5l4.5 4.5L19 7.5',
  cross: 'M6.5 6.5l11 11 M17.5 6.5l-11 11',
  refresh: 'M20 11a8 8 0 1 0-2.4 5.7 M20 4.5V11h-6.5',
  alert: `${circle(12, 12, 9)} M12 7.5v5.5 M12 16.3v.1`,
  ledger: 'M5 4h11a3 3 0 0 1 3 3v13H8a3 3 0 0 1-3-3z M5 17a3 3 0 0 1 3-3h11 M9 8h6',
  pack: 'M12 3l8 4.5v9L12 21l-8-4.5v-9z M4 7.5l8 4.5 8-4.5 M12 12v9',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 18, className }: { name: IconName; size?: number; className?: string }) {
  return (
    <svg
      className={className}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.75}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}

/** The DawsOS mark: a rising line inside a rounded square. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect x="1" y="1" width="30" height="30" rx="8" className="logo-bg" />
      <path
        d="M8 21.5l5-5.5 4 3.5 7-8.5"
        fill="none"
        className="logo-line"
        strokeWidth="2.5"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
      <circle cx="24" cy="11" r="2.2" className="logo-dot" />
    </svg>
  );
}
