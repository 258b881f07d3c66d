DELETE FROM neighbourhoods WHERE name IN ('Beijum', 'Binnenstad', 'De Hoogte', 'Helpman',
    'Hoogkerk', 'Korrewegwijk', 'Lewenborg', 'Oosterpark', 'Paddepoel', 'Schildersbuurt',
    'Selwerd', 'Vinkhuizen');
