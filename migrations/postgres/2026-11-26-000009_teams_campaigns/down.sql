DROP INDEX users_campaign_idx;
ALTER TABLE users DROP COLUMN campaign_id;
DROP TABLE campaigns;
DROP TABLE observations;
DROP TABLE patrol_signups;
DROP TABLE patrols;
DROP TABLE team_members;
DROP TABLE teams;
