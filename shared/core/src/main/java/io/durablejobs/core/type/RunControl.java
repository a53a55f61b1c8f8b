package io.durablejobs.core.type;

/** What a running handler can ask of and tell the platform beyond its outcome: cancellation and progress. */
public interface RunControl {

    /** Whether the job's tenant asked to cancel it while it runs. */
    boolean cancellationRequested();

    /** Reports how far the job is (0-100) with a short message; shown by {@code GET /v1/jobs/{jobId}}. */
    void progress(int percent, String message);

    RunControl NONE = new RunControl() {
        @Override
        public boolean cancellationRequested() {
            return false;
        }

        @Override
        public void progress(int percent, String message) {
        }
    };
}
