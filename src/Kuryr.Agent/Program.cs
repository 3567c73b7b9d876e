// Replaced by the agent host work (Hosting/): kuryr-agent entry point.
return 0;
