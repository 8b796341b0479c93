// Events the UI shows: quota alarms and breaker state changes, one emitter for all providers.
import { EventEmitter } from 'node:events';
import type { ProviderName } from '../types';
import type { BreakerState } from './breaker';
import type { QuotaAlarm } from './quota';

export interface BreakerStateEvent {
  readonly provider: ProviderName;
  readonly state: BreakerState;
}

export interface ProviderEventMap {
  'quota-alarm': [QuotaAlarm];
  'breaker-state': [BreakerStateEvent];
}

export class ProviderEvents extends EventEmitter<ProviderEventMap> {}
