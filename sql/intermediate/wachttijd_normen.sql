-- one row per niveau: the norm of the niveau in calendar days (null: no norm), from config; the one home of
-- the norm per niveau for the marts and the histogram classes (docs/definitions.md#wachttijden)
select
    'verzoek_toewijzing' as niveau,
    cast($normen_verzoek_toewijzing_dagen as integer) as norm_dagen
union all
select
    'toewijzing_start' as niveau,
    cast($normen_toewijzing_start_dagen as integer) as norm_dagen
union all
select
    'aanmelding' as niveau,
    cast(null as integer) as norm_dagen
union all
select
    'intake' as niveau,
    7 * cast($treeknorm_aanmelding_weken as integer) as norm_dagen
union all
select
    'behandeling' as niveau,
    7 * cast($treeknorm_behandeling_weken as integer) as norm_dagen
union all
select
    'totaal' as niveau,
    7 * cast($treeknorm_totaal_weken as integer) as norm_dagen
