-- depends: 0002_transfers
-- Of one account's prepared transfers (signed, maybe on the network), no two hold the same
-- Sequence: only one of them could ever be included, and the other would end "not sent" only
-- after its LastLedgerSequence. Preparing runs under a per-account lock, so this never fires;
-- it makes a second replica's mistake an error instead of a lost payment.
CREATE UNIQUE INDEX transfers_one_sequence_per_account ON transfers (sender_address, sequence)
    WHERE state IN ('signed', 'submitted');
