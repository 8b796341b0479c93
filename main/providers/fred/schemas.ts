// FRED API shapes (https://fred.stlouisfed.org/docs/api/fred/series_observations.html).
import { z } from 'zod';
import { isoDate } from '../client-support';

/** GET /fred/series/observations?series_id=&api_key=&file_type=json&observation_start=&… */
export const fredObservationsSchema = z.object({
  realtime_start: isoDate,
  realtime_end: isoDate,
  observation_start: isoDate,
  observation_end: isoDate,
  units: z.string(),
  count: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  limit: z.number().int().positive(),
  observations: z.array(
    z.object({
      date: isoDate,
      // Values are strings; "." marks a missing observation.
      value: z.string().regex(/^(\.|-?\d+(\.\d+)?)$/),
    }),
  ),
});

/** FRED's error body: {"error_code": 400, "error_message": "Bad Request.  …"}. */
export const fredErrorSchema = z.object({ error_code: z.number().int(), error_message: z.string() });
