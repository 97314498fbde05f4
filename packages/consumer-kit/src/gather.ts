/**
 * How often at most a read side takes what arrived to its database, fed from the log or from Kafka.
 * Under a steady stream a read side that applied at every arrival applied an event or two at a
 * time, each paying a transaction's fixed statements (the applied versions, BEGIN, COMMIT) and, fed
 * from the log, a read of it. Waiting until this long after the last apply began gathers what came
 * meanwhile into one transaction; an idle read side's first event still goes at once, because the
 * wait counts from the last apply, not from the event. 20 ms left the distributed set at 19
 * statements per append at 20 complaints/s; 100 ms, 14.5 (bench:distributed, log_statement counts).
 */
export const GATHER_MS = 100;
