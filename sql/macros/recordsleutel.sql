-- one value per record: its record key, an integer uniform on [0, 2^32), for the cell-key method
-- params: record_id
-- returns: bigint
-- The record id is pseudonymous (client_id is an HMAC with the regional key), so the key is fixed for a
-- record across builds and unknown to anyone without the data. A cell's key is the sum of its records'
-- keys modulo 2^32 (dashboard/privacy.py, docs/privacy.md): integers, so the order of summation cannot
-- change it.
select cast(hash(record_id) % 4294967296 as bigint) as recordsleutel
