// Every screen of the app frame, in sidebar order. The route of a screen is `#/<id>`; later issues
// replace a screen's empty state with the real thing, keeping its id.
import type { IconName } from '../components/Icon';

export type ScreenId =
  | 'overview'
  | 'holdings'
  | 'transactions'
  | 'performance'
  | 'risk'
  | 'macro'
  | 'news'
  | 'reports'
  | 'audit'
  | 'settings'
  | 'status';

export interface EmptyState {
  readonly title: string;
  readonly body: string;
  /** What the user can do now to get this screen going. */
  readonly steps: readonly string[];
}

export interface ScreenDef {
  readonly id: ScreenId;
  readonly label: string;
  readonly icon: IconName;
  readonly group: 'Portfolio' | 'Research' | 'Records' | 'System';
  /** One line under the screen title. */
  readonly summary: string;
  /** Shown until the screen has data; absent for screens that always work. */
  readonly empty?: EmptyState;
}

const LOAD_LEDGER_STEPS = [
  'Keep your transactions as Beancount files in a git repository: DawsOS reads it, and never rewrites a line.',
  'Open About / Status and make sure git, the OS keychain and the encrypted store module pass their checks.',
  'Loading a ledger is not part of this build yet; this screen fills in once it is.',
] as const;

export const SCREENS: readonly ScreenDef[] = [
  {
    id: 'overview',
    label: 'Overview',
    icon: 'overview',
    group: 'Portfolio',
    summary: 'Total value, allocation and the day’s move across your portfolios.',
    empty: {
      title: 'No ledger loaded yet',
      body: 'The overview summarises value, allocation and change once DawsOS has read your ledger. Every figure will cite the ledger commit and pricing pack it was computed from.',
      steps: LOAD_LEDGER_STEPS,
    },
  },
  {
    id: 'holdings',
    label: 'Holdings',
    icon: 'holdings',
    group: 'Portfolio',
    summary: 'Positions, lots and cost basis, valued from the current pricing pack.',
    empty: {
      title: 'No holdings to show',
      body: 'Holdings are booked from the transactions in your ledger: open lots, cost basis and market value for each position, in exact decimals.',
      steps: LOAD_LEDGER_STEPS,
    },
  },
  {
    id: 'transactions',
    label: 'Transactions',
    icon: 'transactions',
    group: 'Portfolio',
    summary: 'Every entry of the ledger, at the commit it was read from.',
    empty: {
      title: 'No transactions yet',
      body: 'Transactions are read from your Beancount ledger in git. New entries are appended through one audited action and committed; existing lines are never changed.',
      steps: LOAD_LEDGER_STEPS,
    },
  },
  {
    id: 'performance',
    label: 'Performance',
    icon: 'performance',
    group: 'Portfolio',
    summary: 'Time- and money-weighted returns against your benchmarks.',
    empty: {
      title: 'No performance history',
      body: 'Returns need a loaded ledger and daily pricing packs covering the period. Each series names the packs it was valued with.',
      steps: LOAD_LEDGER_STEPS,
    },
  },
  {
    id: 'risk',
    label: 'Risk',
    icon: 'risk',
    group: 'Portfolio',
    summary: 'Volatility, value at risk and concentration.',
    empty: {
      title: 'No risk figures yet',
      body: 'Volatility, value at risk and concentration are computed from your holdings and their price history once a ledger is loaded.',
      steps: LOAD_LEDGER_STEPS,
    },
  },
  {
    id: 'macro',
    label: 'Macro',
    icon: 'macro',
    group: 'Research',
    summary: 'Rates, inflation and growth series that move your positions.',
    empty: {
      title: 'No macro data yet',
      body: 'Macro series come from FRED. They appear here once a FRED API key is stored in the OS keychain; the key never leaves this machine except to FRED.',
      steps: [
        'Open About / Status and check that the OS keychain is available.',
        'Adding provider keys is not part of this build yet; this screen fills in once it is.',
      ],
    },
  },
  {
    id: 'news',
    label: 'News',
    icon: 'news',
    group: 'Research',
    summary: 'Headlines about the companies you hold.',
    empty: {
      title: 'No news yet',
      body: 'Headlines for your holdings come from NewsAPI once a key is stored and a ledger is loaded, so DawsOS knows which names to follow.',
      steps: [
        'Open About / Status and check that the OS keychain is available.',
        'Adding provider keys is not part of this build yet; this screen fills in once it is.',
      ],
    },
  },
  {
    id: 'reports',
    label: 'Reports',
    icon: 'reports',
    group: 'Records',
    summary: 'PDF reports that respect each data provider’s licence.',
    empty: {
      title: 'No reports yet',
      body: 'Reports are rendered to PDF from a loaded ledger. Each one records the ledger commit, pricing pack and trace id it was built from, so it can be reproduced exactly.',
      steps: LOAD_LEDGER_STEPS,
    },
  },
  {
    id: 'audit',
    label: 'Audit',
    icon: 'audit',
    group: 'Records',
    summary: 'The tamper-evident log of every change DawsOS made.',
    empty: {
      title: 'The audit log is empty',
      body: 'Every change DawsOS makes is written to an append-only log in the encrypted store, each entry chained to the previous one by hash. Nothing has been changed yet.',
      steps: [
        'Open About / Status to see whether the encrypted store exists on this machine.',
        'Entries appear here as soon as DawsOS records its first change.',
      ],
    },
  },
  {
    id: 'settings',
    label: 'Settings',
    icon: 'settings',
    group: 'System',
    summary: 'Ledger location, data providers and the local store.',
    empty: {
      title: 'Nothing to configure yet',
      body: 'The ledger repository, data-provider keys and the store passphrase will be managed here. Keys are kept in the OS keychain, never in a file.',
      steps: [
        'Open About / Status to see where DawsOS keeps its data on this machine.',
        'Set `DAWSOS_HOME` before starting DawsOS to keep its data in another folder.',
      ],
    },
  },
  {
    id: 'status',
    label: 'About / Status',
    icon: 'status',
    group: 'System',
    summary: 'Version, local store and health of this installation.',
  },
];

export const DEFAULT_SCREEN: ScreenId = 'overview';

export function findScreen(id: string): ScreenDef | undefined {
  return SCREENS.find((screen) => screen.id === id);
}
