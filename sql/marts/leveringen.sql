-- one row per bron × aanbieder_agb × gemeente_code × maand with a delivery: what the aanbieder delivered in that month
-- iJw-berichten: messages by the month their delivery was complete (bericht_levering.levermaand, the
-- batch period), of which aantal_laat reached the region after the month of their Dagtekening.
-- wachttijdregistratie: provider waiting-time records by the month of their aanmelding (the files are
-- cumulative snapshots without a delivery date, so lateness is not measured: aantal_laat 0).
select
    'iJw-berichten' as bron,
    b.aanbieder_agb,
    b.gemeente_code,
    b.levermaand as maand,
    count(*) as aantal,
    count(*) filter (where b.is_laat) as aantal_laat
from bericht_levering as b
group by b.aanbieder_agb, b.gemeente_code, b.levermaand
union all
select
    'wachttijdregistratie' as bron,
    a.aanbieder_agb,
    a.gemeente_code,
    cast(date_trunc('month', a.datum_aanmelding) as date) as maand,
    count(*) as aantal,
    0 as aantal_laat
from aanmeldingen as a
where a.datum_aanmelding is not null
group by a.aanbieder_agb, a.gemeente_code, cast(date_trunc('month', a.datum_aanmelding) as date)
