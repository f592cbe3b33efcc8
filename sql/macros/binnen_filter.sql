-- one boolean per row: does the row fall inside the global dashboard filters (null filter = no filter)?
-- The one home of the filter predicate every table macro applies (docs/definitions.md#filters). A macro
-- passes the filter parameters it declares and null for the filters it does not apply (and null for the
-- dimension a relation lacks); p_van/p_tot are applied by each macro on its own date.
-- params: p_gemeente, p_aanbieder, p_categorie, p_leeftijd, rij_gemeente, rij_aanbieder, rij_categorie, rij_leeftijd
-- returns: boolean
select
    (p_gemeente is null or rij_gemeente = p_gemeente)
    and (p_aanbieder is null or rij_aanbieder = p_aanbieder)
    and (p_categorie is null or rij_categorie = p_categorie)
    and (p_leeftijd is null or rij_leeftijd = p_leeftijd) as binnen_filter
