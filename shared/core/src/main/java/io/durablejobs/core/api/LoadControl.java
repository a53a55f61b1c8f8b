package io.durablejobs.core.api;

import io.durablejobs.core.admission.Admission;
import io.durablejobs.core.admission.QueueDepths;

/** What the API sheds load with before queueing: admission (rates) and queue depth (high-water mark, 0 = off). */
public record LoadControl(Admission admission, QueueDepths depths, long shedQueueDepth) {
    public static final LoadControl NONE = new LoadControl(Admission.UNLIMITED, QueueDepths.UNKNOWN, 0);
}
