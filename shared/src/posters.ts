import * as z from 'zod/mini';
import { RequestId } from './rating-schema';
import { RegistryId } from './registry-admin';

/**
 * Bulk posters: every window of a department, a county or the whole prefecture, rendered outside the request by a
 * job that writes one PDF per department into a zip in object storage, with progress and a download link.
 */
export const POSTER_JOB_STATES = ['running', 'done', 'failed'] as const;
export type PosterJobState = (typeof POSTER_JOB_STATES)[number];
export const POSTER_JOB_STATE_LABELS: Record<PosterJobState, string> = {
  running: '正在生成',
  done: '已完成',
  failed: '生成失败',
};

/** `POST /v1/poster-jobs`: a department, or a county, or (neither) the operator's whole prefecture. */
export const PosterJobRequest = z
  .strictObject({
    requestId: RequestId,
    departmentId: z.optional(RegistryId),
    countyId: z.optional(RegistryId),
  })
  .check(z.refine((v) => !(v.departmentId && v.countyId), { message: '部门和区县只能选一个', path: ['departmentId'] }));
export type PosterJobRequest = z.infer<typeof PosterJobRequest>;

export interface PosterJobView {
  id: string;
  /** What it covers: 海北州 / a county / a department. */
  scopeName: string;
  state: PosterJobState;
  stateLabel: string;
  /** Departments rendered of all the departments in scope. */
  progress: { done: number; total: number };
  windows?: number;
  bytes?: number;
  createdAt: string;
  createdBy: string;
  finishedAt?: string;
  failure?: string;
  /** When done: an expiring link to the zip. */
  url?: string;
  expiresAt?: string;
}
