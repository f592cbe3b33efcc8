-- one row per toewijzing (gemeente_code, toewijzingnummer) in its current version, not verwijderd
-- Rules: lines rejected by a JW302 are not sent; versions are ordered by toewijzingsdatum + toewijzingstijd
-- (never by arrival or dagtekening); identical date+time = the same version re-sent (deduplicated); the
-- current version is the latest; a current version with RedenWijziging 13 (or 01 with einddatum =
-- ingangsdatum, pre-3.1) removes the toewijzing. referentie_aanbieder is kept from the first version that
-- had it; eerste_toewijzingsdatum/-tijd are those of the first version.
with
geldig as (
    select t.*
    from ijw_retourstatus('bron_toewijzing') as t
    where not t.is_afgekeurd
),

versie as (
    select g.*
    from geldig as g
    qualify
        row_number() over (
            partition by g.gemeente_code, g.toewijzingnummer, g.toewijzingsdatum, g.toewijzingstijd
            order by g.dagtekening, g.bericht_identificatie, g.afzender
        ) = 1
),

historie as (
    select
        v.gemeente_code,
        v.toewijzingnummer,
        count(*) as aantal_versies,
        min(v.toewijzingsdatum + cast(v.toewijzingstijd as time)) as eerste_versie,
        arg_min(v.referentie_aanbieder, v.toewijzingsdatum + cast(v.toewijzingstijd as time))
            filter (where v.referentie_aanbieder is not null) as eerste_referentie_aanbieder
    from versie as v
    group by v.gemeente_code, v.toewijzingnummer
),

huidig as (
    select v.*
    from versie as v
    qualify
        row_number() over (
            partition by v.gemeente_code, v.toewijzingnummer
            order by v.toewijzingsdatum desc, v.toewijzingstijd desc
        ) = 1
)

select
    h.gemeente_code as gemeente_code,
    h.toewijzingnummer as toewijzingnummer,
    h.aanbieder_agb as aanbieder_agb,
    h.client_id as client_id,
    h.geboortejaar as geboortejaar,
    h.geboortemaand as geboortemaand,
    h.geslacht as geslacht,
    h.pc4 as pc4,
    h.productcategorie as productcategorie,
    h.productcode as productcode,
    h.ingangsdatum as ingangsdatum,
    h.einddatum as einddatum,
    h.toewijzingsdatum as toewijzingsdatum,
    cast(h.toewijzingstijd as time) as toewijzingstijd,
    h.reden_wijziging as reden_wijziging,
    h.volume as volume,
    h.eenheid as eenheid,
    h.frequentie as frequentie,
    h.budget as budget,
    coalesce(hi.eerste_referentie_aanbieder, h.referentie_aanbieder) as referentie_aanbieder,
    cast(hi.eerste_versie as date) as eerste_toewijzingsdatum,
    cast(hi.eerste_versie as time) as eerste_toewijzingstijd,
    hi.aantal_versies as aantal_versies,
    h.bericht_identificatie as bericht_identificatie,
    h.dagtekening as dagtekening
from huidig as h
inner join historie as hi
    on h.gemeente_code = hi.gemeente_code and h.toewijzingnummer = hi.toewijzingnummer
where not (
    coalesce(h.reden_wijziging = '13', false)
    or coalesce(h.reden_wijziging = '01' and h.einddatum = h.ingangsdatum, false)
)
order by h.gemeente_code, h.toewijzingnummer
