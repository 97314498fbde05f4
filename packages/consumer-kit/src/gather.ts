/**
 * How often at most a read side takes what arrived to its database, fed from the log or from Kafka.
 * Under a steady stream a read side that applied at every arrival applied an event or two at a
 * time, each paying a transaction's fixed statements (parked and applied-version reads, the
 * versions' write, the commit). Waiting until 20 ms after the last apply began gathers what came
 * meanwhile into one transaction; an idle read side's first event still goes at once, because the
 * wait counts from the last apply, not from the event.
 */
export const GATHER_MS = 20;
