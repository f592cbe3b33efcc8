-- one row per care trajectory (traject_id): merged toewijzingen of one client × aanbieder × productcategorie
-- See docs/definitions.md#traject. startdatum = first valid JW305 Begindatum; einddatum = the definitive
-- JW307 Einddatum of the last start, else the last toewijzing Einddatum once passed (no stop message),
-- else open. verwijzer_type comes from the earliest JW315 linked to any toewijzing of the trajectory
-- (aanbieder × ReferentieAanbieder); without a JW315 it is inferred as 01 (gemeente) and flagged.
with
toew as (
    select
        tt.traject_id,
        any_value(tt.client_id) as client_id,
        any_value(tt.aanbieder_agb) as aanbieder_agb,
        any_value(tt.productcategorie) as productcategorie,
        arg_min(tt.gemeente_code, tt.volgnummer_in_traject) as gemeente_code,
        arg_max(tt.productcode, tt.volgnummer_in_traject) as productcode,
        arg_min(tt.eerste_toewijzingsdatum, tt.volgnummer_in_traject) as toewijzingsdatum,
        min(tt.ingangsdatum) as ingangsdatum,
        max(coalesce(tt.einddatum, date '9000-01-01')) as toewijzing_einddatum,
        arg_min(tt.geboortejaar, tt.volgnummer_in_traject) as geboortejaar,
        arg_min(tt.geboortemaand, tt.volgnummer_in_traject) as geboortemaand,
        count(*) as aantal_toewijzingen
    from traject_toewijzingen as tt
    group by tt.traject_id
),

verzoek as (
    select
        tt.traject_id,
        min(v.dagtekening) as verzoekdatum,
        arg_min(v.verwijzer_type, v.dagtekening) as verwijzer_type
    from traject_toewijzingen as tt
    inner join verzoeken as v
        on
            tt.aanbieder_agb = v.aanbieder_agb
            and tt.referentie_aanbieder = v.referentie_aanbieder
    where v.verzoek_soort = 'toewijzing'
    group by tt.traject_id
),

start as (
    select
        ts.traject_id,
        min(ts.begindatum) as startdatum,
        count(*) as aantal_starts,
        arg_max_null(ts.stop_einddatum, ts.begindatum) as laatste_stop_einddatum,
        arg_max_null(ts.reden_beeindiging, ts.begindatum) as laatste_reden_beeindiging
    from traject_starts as ts
    group by ts.traject_id
),

samen as (
    select
        t.*,
        v.verzoekdatum,
        v.verwijzer_type as verzoek_verwijzer_type,
        s.startdatum,
        coalesce(s.aantal_starts, 0) as aantal_starts,
        case
            when s.laatste_stop_einddatum is not null then greatest(s.laatste_stop_einddatum, s.startdatum)
            when t.toewijzing_einddatum <= p.peildatum
                then greatest(t.toewijzing_einddatum, coalesce(s.startdatum, t.toewijzing_einddatum))
        end as einddatum,
        s.laatste_reden_beeindiging as reden_beeindiging
    from toew as t
    cross join peildatum as p
    left join verzoek as v on t.traject_id = v.traject_id
    left join start as s on t.traject_id = s.traject_id
)

select
    s.traject_id as traject_id,
    s.client_id as client_id,
    s.gemeente_code as gemeente_code,
    s.aanbieder_agb as aanbieder_agb,
    s.productcategorie as productcategorie,
    s.productcode as productcode,
    coalesce(s.verzoek_verwijzer_type, '01') as verwijzer_type,
    s.verzoekdatum is null as is_verwijzer_afgeleid,
    s.verzoekdatum as verzoekdatum,
    s.toewijzingsdatum as toewijzingsdatum,
    s.ingangsdatum as ingangsdatum,
    nullif(s.toewijzing_einddatum, date '9000-01-01') as toewijzing_einddatum,
    s.startdatum as startdatum,
    s.einddatum as einddatum,
    s.reden_beeindiging as reden_beeindiging,
    s.einddatum is not null and s.reden_beeindiging is null as is_einde_zonder_stopbericht,
    s.year_diff as leeftijd_bij_start,
    case
        when s.year_diff is null then 'onbekend'
        when s.year_diff <= 3 then '0-3'
        when s.year_diff <= 11 then '4-11'
        when s.year_diff <= 17 then '12-17'
        else '18+'
    end as leeftijdsgroep,
    make_date(s.geboortejaar + 18, s.geboortemaand, 1) as maand_18_jaar,
    s.startdatum is not null as is_gestart,
    s.einddatum is null as is_open,
    s.aantal_toewijzingen as aantal_toewijzingen,
    s.aantal_starts as aantal_starts,
    recordsleutel(s.traject_id) as traject_sleutel,
    recordsleutel(s.client_id) as kind_sleutel
from (
    select
        sa.*,
        year(sa.startdatum) - sa.geboortejaar
        - case when month(sa.startdatum) < sa.geboortemaand then 1 else 0 end as year_diff
    from samen as sa
) as s
order by s.traject_id
