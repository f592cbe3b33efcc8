-- one row per JW323 prestatie (aanbieder_agb, gemeente_code, declaratienummer, referentienummer)
-- with its JW325 outcome: declaratie_status 'afgewezen' (the line, or the whole declaratie, got a
-- RetourCode other than 0200/8001), 'toegekend' (a JW325 came back without rejecting it) or 'onbeantwoord'.
with
prestatie as (
    select d.*
    from ijw_retourstatus('bron_declaratie') as d
    qualify
        row_number() over (
            partition by d.aanbieder_agb, d.gemeente_code, d.declaratienummer, d.referentienummer
            order by d.dagtekening, d.bericht_identificatie
        ) = 1
),

beantwoord as (
    select distinct
        b.heen_afzender,
        b.heen_identificatie,
        b.heen_dagtekening
    from bron_declaratie_antwoord as b
)

select
    p.aanbieder_agb as aanbieder_agb,
    p.gemeente_code as gemeente_code,
    p.declaratienummer as declaratienummer,
    p.referentienummer as referentienummer,
    p.vorig_referentienummer as vorig_referentienummer,
    p.client_id as client_id,
    p.toewijzingnummer as toewijzingnummer,
    p.productcategorie as productcategorie,
    p.productcode as productcode,
    p.productperiode_begin as productperiode_begin,
    p.productperiode_eind as productperiode_eind,
    p.geleverd_volume as geleverd_volume,
    p.eenheid as eenheid,
    p.product_tarief as product_tarief,
    p.ingediend_bedrag as ingediend_bedrag,
    p.debet_credit as debet_credit,
    case
        when p.is_afgekeurd then 'afgewezen'
        when exists (
            select 1
            from beantwoord as b
            where
                b.heen_afzender = p.afzender
                and b.heen_identificatie = p.bericht_identificatie
                and b.heen_dagtekening = p.dagtekening
        ) then 'toegekend'
        else 'onbeantwoord'
    end as declaratie_status,
    p.dagtekening as dagtekening,
    p.bericht_identificatie as bericht_identificatie
from prestatie as p
order by p.aanbieder_agb, p.gemeente_code, p.declaratienummer, p.referentienummer
