package dashboard

// bookingRoutes lists this group's pages (being written).
func (s *Server) bookingRoutes() []route { return nil }
