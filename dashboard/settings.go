package dashboard

// settingsRoutes lists this group's pages (being written).
func (s *Server) settingsRoutes() []route { return nil }
