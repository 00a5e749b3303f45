import type { AssignmentProposal, Job, JobAssignee, JobProof, JobType } from '@sanitation/contracts';

/**
 * The part of JobsService the fleet calls (JobsModule owns jobs; the fleet never writes the jobs
 * table itself). Bound to JobsService in FleetModule; unit tests pass an in-memory fake.
 */
export interface FleetJobs {
  get(jobId: string): Promise<Job | null>;
  findOpen(subjectId: string, type?: JobType): Promise<Job[]>;
  listOpen(filter?: { types?: JobType[] }): Promise<Job[]>;
  setProposal(jobId: string, proposal: AssignmentProposal | null): Promise<Job>;
  assign(jobId: string, assignee: JobAssignee, by: string, note?: string): Promise<Job>;
  recordProof(jobId: string, proof: Partial<JobProof>, by: string): Promise<Job>;
  /** System close with proof. */
  complete(jobId: string, by: string, note?: string): Promise<Job>;
}

export const FLEET_JOBS = Symbol('FLEET_JOBS');

/** Who the fleet acts as in job history. */
export const SYSTEM = 'system';
