-- Groningen's neighbourhoods in the pilot; admins edit the list afterwards.
-- The ids are given: a sequence does not roll back, so a server killed while
-- this ran would otherwise leave the next attempt numbering from 13 on.
INSERT INTO neighbourhoods (id, name) VALUES
    (1, 'Beijum'),
    (2, 'Binnenstad'),
    (3, 'De Hoogte'),
    (4, 'Helpman'),
    (5, 'Hoogkerk'),
    (6, 'Korrewegwijk'),
    (7, 'Lewenborg'),
    (8, 'Oosterpark'),
    (9, 'Paddepoel'),
    (10, 'Schildersbuurt'),
    (11, 'Selwerd'),
    (12, 'Vinkhuizen');
SELECT setval(pg_get_serial_sequence('neighbourhoods', 'id'), (SELECT max(id) FROM neighbourhoods));
