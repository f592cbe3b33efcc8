-- one row per kind × status of the load report: files and records read, loaded and quarantined
-- params:
select
    l.kind as soort,
    l.status,
    count(*) as bestanden,
    cast(sum(l.records_read) as bigint) as records_gelezen,
    cast(sum(l.records_loaded) as bigint) as records_geladen,
    cast(sum(l.records_quarantined) as bigint) as records_quarantaine
from load_report as l
group by all
order by soort, l.status
