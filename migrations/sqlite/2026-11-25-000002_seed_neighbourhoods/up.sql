-- Groningen's neighbourhoods in the pilot; admins edit the list afterwards.
INSERT INTO neighbourhoods (name) VALUES
    ('Beijum'),
    ('Binnenstad'),
    ('De Hoogte'),
    ('Helpman'),
    ('Hoogkerk'),
    ('Korrewegwijk'),
    ('Lewenborg'),
    ('Oosterpark'),
    ('Paddepoel'),
    ('Schildersbuurt'),
    ('Selwerd'),
    ('Vinkhuizen');
